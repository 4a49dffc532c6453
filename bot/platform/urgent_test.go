package platform

import "testing"

func TestUrgent_OnlyPreCheckoutQueries(t *testing.T) {
	for payload, want := range map[string]bool{
		`{"update_id":1,"pre_checkout_query":{"id":"q1","from":{"id":5},"currency":"USD","total_amount":100,"invoice_payload":"inv:1:100"}}`: true,
		`{"update_id":2,"message":{"message_id":1,"chat":{"id":5,"type":"private"},"text":"pre_checkout_query"}}`:                            false,
		`{"update_id":3,"message":{"message_id":2,"chat":{"id":5,"type":"private"},"successful_payment":{"currency":"USD"}}}`:                false,
		`{"update_id":4,"pre_checkout_query":null}`: false,
		`not json`: false,
	} {
		if got := urgent(Incoming{Payload: []byte(payload)}); got != want {
			t.Errorf("urgent(%s) = %v, want %v", payload, got, want)
		}
	}
	rest, now, _ := splitUrgent([]Incoming{{ID: 1, Payload: []byte(`{"message":{}}`)}, {ID: 2, Payload: []byte(`{"pre_checkout_query":{"id":"q"}}`)}})
	if len(rest) != 1 || rest[0].ID != 1 || len(now) != 1 || now[0].ID != 2 {
		t.Fatalf("split = %v / %v", rest, now)
	}
}
