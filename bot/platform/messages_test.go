package platform

import (
	"strings"
	"testing"
)

func TestSplitText(t *testing.T) {
	line := strings.Repeat("x", 100) + "\n"
	parts := splitText(strings.Repeat(line, 100), 4096)
	if len(parts) != 3 {
		t.Fatalf("%d parts", len(parts))
	}
	for _, p := range parts {
		if Units(p) > 4096 {
			t.Fatalf("part of %d units", Units(p))
		}
	}
	if got := splitText(strings.Repeat("😀", 3000), 4096); len(got) != 2 || Units(got[0]) > 4096 {
		t.Fatalf("emoji split: %d parts, first %d units", len(got), Units(got[0]))
	}
}
