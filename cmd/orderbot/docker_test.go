package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestDocker_ComposeKeepsMetricsLocal: the compose file publishes the HTTP
// listener (/metrics among it) on the host's 127.0.0.1 unless HTTP_PUBLISH
// says otherwise, mounts the import folder read-only, and the README shows
// the catalog command line that TestBinary_CatalogImportFromStdin runs.
func TestDocker_ComposeKeepsMetricsLocal(t *testing.T) {
	compose, err := os.ReadFile("../../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	ports := regexp.MustCompile(`(?m)^\s+- "([^"]*):8081"`).FindAllStringSubmatch(string(compose), -1)
	if len(ports) != 1 || ports[0][1] != "${HTTP_PUBLISH:-127.0.0.1:8081}" {
		t.Fatalf("orderbot's published ports: %v", ports)
	}
	if !strings.Contains(string(compose), "- ./import:/import:ro") {
		t.Error("no read-only import folder in docker-compose.yml")
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"docker compose exec -T orderbot orderbot catalog import - < catalog.csv",
		"docker compose exec orderbot orderbot catalog import /import/catalog.csv", "HTTP_PUBLISH"} {
		if !strings.Contains(string(readme), want) {
			t.Errorf("README lacks %q", want)
		}
	}
}
