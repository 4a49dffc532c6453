package jobs_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./jobs -run %s -update to create it)", err, t.Name())
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it)\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// since is what the bot wrote in a chat after the first n messages.
func (s *shop) since(chat int64, n int) string {
	all := strings.SplitAfter(s.transcript(chat), "---\n")
	if n > len(all) {
		return ""
	}
	return strings.Join(all[n:], "")
}

func (s *shop) sentCount(chat int64) int { return len(s.srv.BotMessages(chat)) }
