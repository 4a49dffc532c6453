package main

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestCLI_Generate: generate fills an empty database with a history and
// shows its progress on stderr; it refuses a database that holds anything,
// clearly, and bad arguments with the usage.
func TestCLI_Generate(t *testing.T) {
	c := newCLI(t)
	out, errOut, code := c.run("generate", "--orders", "3000", "--customers", "40", "--seed", "3")
	if code != 0 || !strings.Contains(out, "generated 3,000 orders of 40 customers") || !strings.Contains(out, "open now:") {
		t.Fatalf("generate: %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "generating [") || !strings.Contains(errOut, "100% 3,000/3,000 orders") ||
		!strings.Contains(errOut, "building keys and indexes") {
		t.Errorf("progress on stderr: %q", errOut)
	}
	_, errOut, code = c.run("generate", "--orders", "10", "--customers", "1")
	if code != 1 || !strings.Contains(errOut, "the database is not empty (300 products, 40 customers, 3000 orders") ||
		!strings.Contains(errOut, "generate fills only an empty database") {
		t.Fatalf("second generate: %d %q", code, errOut)
	}
	for _, args := range [][]string{{"generate"}, {"generate", "--orders", "10"}, {"generate", "--orders", "x", "--customers", "1"},
		{"generate", "--orders", "10", "--customers", "1", "extra"}} {
		if _, errOut, code := c.run(args...); code != 2 || !strings.Contains(errOut, "want: orderbot generate --orders N --customers M") {
			t.Errorf("%v: %d %q", args, code, errOut)
		}
	}
	c2 := newCLI(t)
	c2.run("catalog", "import", writeFile(t, "sku,name,price,stock\nA,Apple,2.50,10\n"))
	if _, errOut, code := c2.run("generate", "--orders", "10", "--customers", "1"); code != 1 || !strings.Contains(errOut, "1 products") {
		t.Fatalf("generate over a catalog: %d %q", code, errOut)
	}
}

// TestCLI_JobsListAndRun: jobs list shows every job with its schedule and
// last run; jobs run runs one through the runner (once per period) and
// says what it enqueued; --dry-run prints what it would send and changes
// nothing.
func TestCLI_JobsListAndRun(t *testing.T) {
	c := newCLI(t)
	c.env["OWNER_IDS"], c.env["MANAGER_IDS"] = "900", "901"
	if _, errOut, code := c.run("generate", "--orders", "4000", "--customers", "60"); code != 0 {
		t.Fatalf("generate: %s", errOut)
	}
	db := openTestDB(t, c.env["DATABASE_URL"])
	count := func(sql string) int {
		t.Helper()
		var n int
		if err := db.Pool().QueryRow(context.Background(), sql).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	out, _, code := c.run("jobs", "list")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 5 {
		t.Fatalf("jobs list: %d %q", code, out)
	}
	for _, want := range []string{"overdue_shipments +0 9 \\* \\* \\* +never ran", "payment_reminders +0 \\* \\* \\* \\* +never ran",
		"daily_summary +0 8 \\* \\* \\* +never ran", "outbox_prune +30 3 \\* \\* \\* +never ran", "close_settled +30 2 \\* \\* \\* +never ran"} {
		if !regexp.MustCompile("(?m)^" + want).MatchString(out) {
			t.Errorf("jobs list lacks /%s/:\n%s", want, out)
		}
	}
	today := time.Now().UTC().Format(time.DateOnly)

	out, _, code = c.run("jobs", "run", "daily_summary", "--at", today, "--dry-run")
	if code != 0 || !strings.Contains(out, "would send to 900: summary "+time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly)) ||
		!strings.Contains(out, "would send 2 notice(s)") || !strings.Contains(out, "nothing was changed") {
		t.Fatalf("dry run: %d %q", code, out)
	}
	if n := count(`SELECT count(*) FROM outbox`) + count(`SELECT count(*) FROM job_runs`); n != 0 {
		t.Fatalf("the dry run wrote %d rows", n)
	}
	out, _, code = c.run("jobs", "run", "daily_summary", "--at", today)
	if code != 0 || !strings.Contains(out, "daily_summary for "+today+" 08:00 UTC: ran in") || !strings.Contains(out, "2 notice(s) enqueued") {
		t.Fatalf("run: %d %q", code, out)
	}
	out, _, code = c.run("jobs", "run", "daily_summary", "--at", today+" 08:00")
	if code != 0 || !strings.Contains(out, "not run (period_done)") || count(`SELECT count(*) FROM outbox`) != 2 {
		t.Fatalf("second run of the period: %d %q", code, out)
	}
	if out, _, _ = c.run("jobs", "list"); !regexp.MustCompile(`(?m)^daily_summary +0 8 \* \* \* +last ` + today + `T08:00 done in `).MatchString(out) {
		t.Errorf("jobs list after a run:\n%s", out)
	}

	levels := count(`SELECT count(*) FROM invoice_reminders`)
	out, _, code = c.run("jobs", "run", "payment_reminders", "--at", today+" 10:00", "--dry-run")
	if code != 0 || !strings.Contains(out, "would send to 901: reminded") || !strings.Contains(out, ": invoice_reminder ") ||
		!regexp.MustCompile(`record [1-9]\d* reminder level`).MatchString(out) {
		t.Fatalf("reminders dry run: %d %q", code, out)
	}
	if count(`SELECT count(*) FROM invoice_reminders`) != levels || count(`SELECT count(*) FROM outbox`) != 2 {
		t.Fatal("the reminders' dry run recorded or enqueued something")
	}
	if _, errOut, code := c.run("jobs", "run", "nope"); code != 2 || !strings.Contains(errOut, `no job "nope"`) {
		t.Errorf("unknown job: %d %q", code, errOut)
	}
	if _, errOut, code := c.run("jobs", "run", "daily_summary", "--at", "tomorrow"); code != 2 || !strings.Contains(errOut, "--at") {
		t.Errorf("bad time: %d %q", code, errOut)
	}
	if _, errOut, code := c.run("jobs"); code != 2 || !strings.Contains(errOut, "want: orderbot jobs list") {
		t.Errorf("no jobs command: %d %q", code, errOut)
	}
}
