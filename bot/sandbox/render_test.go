package sandbox

import (
	"testing"

	"github.com/go-telegram/bot/models"
	"github.com/orderbot/orderbot/bot/fakeapi"
)

func ent(typ models.MessageEntityType, offset, length int) models.MessageEntity {
	return models.MessageEntity{Type: typ, Offset: offset, Length: length}
}

func TestRenderHTML(t *testing.T) {
	link := func(offset, length int, url string) models.MessageEntity {
		e := ent(models.MessageEntityTypeTextLink, offset, length)
		e.URL = url
		return e
	}
	cases := []struct {
		name, text string
		ents       []models.MessageEntity
		want       string
	}{
		{"plain text is escaped", `<script>alert("x")</script> & 'q'`, nil,
			"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;q&#39;"},
		{"bold and italic", "Order 12 paid", []models.MessageEntity{ent("bold", 0, 8), ent("italic", 9, 4)},
			"<b>Order 12</b> <i>paid</i>"},
		{"nested, outer first", "abc", []models.MessageEntity{ent("italic", 1, 1), ent("bold", 0, 3)},
			"<b>a<i>b</i>c</b>"},
		{"offsets in UTF-16 units", "🍎 Tea x2", []models.MessageEntity{ent("bold", 3, 3)}, "🍎 <b>Tea</b> x2"},
		{"code and pre", "a b", []models.MessageEntity{ent("code", 0, 1), ent("pre", 2, 1)}, "<code>a</code> <pre>b</pre>"},
		{"text link", "site", []models.MessageEntity{link(0, 4, "https://example.com/?a=1&b=2")},
			`<a href="https://example.com/?a=1&amp;b=2" target="_blank" rel="noopener noreferrer nofollow">site</a>`},
		{"javascript link dropped", "click", []models.MessageEntity{link(0, 5, "javascript:alert(1)")}, "click"},
		{"quote in link escaped", "x", []models.MessageEntity{link(0, 1, `https://e.com/"onmouseover="a`)},
			`<a href="https://e.com/%22onmouseover=%22a" target="_blank" rel="noopener noreferrer nofollow">x</a>`},
		{"bare url gets http", "see shop.example now", []models.MessageEntity{ent("url", 4, 12)},
			`see <a href="http://shop.example" target="_blank" rel="noopener noreferrer nofollow">shop.example</a> now`},
		{"command", "/orders please", []models.MessageEntity{ent("bot_command", 0, 7)}, `<span class="cmd">/orders</span> please`},
		{"unknown type keeps text", "x y", []models.MessageEntity{ent("custom_emoji", 0, 1)}, "x y"},
		{"crossing entities clipped", "abcd", []models.MessageEntity{ent("bold", 0, 3), ent("italic", 2, 2)},
			"<b>ab<i>c</i></b>d"},
		{"out of range ignored", "ab", []models.MessageEntity{ent("bold", 5, 2), ent("italic", -3, 4)}, "<i>a</i>b"},
		{"zero length ignored", "ab", []models.MessageEntity{ent("bold", 1, 0)}, "ab"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := renderHTML(c.text, c.ents); got != c.want {
				t.Fatalf("renderHTML(%q) = %q, want %q", c.text, got, c.want)
			}
		})
	}
}

func TestHub_AnswerBeforeTrackIsDelivered(t *testing.T) {
	h := newHub()
	c := h.join(alice)
	h.dispatch(fakeapi.Event{Kind: fakeapi.EventCallbackAnswer, Callback: fakeapi.CallbackAnswer{QueryID: "q1", Text: "Saved"}})
	select {
	case ev := <-c.ch:
		t.Fatalf("answer delivered before anyone pressed: %+v", ev)
	default:
	}
	h.track("q1", alice)
	if ev := <-c.ch; ev.name != "callback_answer" || ev.data.(answerView).Text != "Saved" {
		t.Fatalf("event = %+v", ev)
	}
}

func TestHub_DropsSlowClient(t *testing.T) {
	h := newHub()
	slow := h.join(alice)
	for i := 0; i <= clientBuffer; i++ {
		h.dispatch(fakeapi.Event{Kind: fakeapi.EventMessage, ChatID: alice, Message: fakeapi.Message{ID: i + 1, ChatID: alice}})
	}
	select {
	case <-slow.gone:
	default:
		t.Fatal("a client that fell behind was not dropped")
	}
	h.close()
	select {
	case <-h.join(alice).gone:
	default:
		t.Fatal("a stream opened after close stays open")
	}
}
