package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/orderbot/orderbot/storage/postgres/pgtest"
)

// buildBinary builds orderbot as it ships (CGO off, trimmed) into a
// temporary folder and returns that folder.
func buildBinary(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	dir := t.TempDir()
	cmd := exec.Command(goBin, "build", "-trimpath", "-o", filepath.Join(dir, "orderbot"), ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return dir
}

// TestBinary_CatalogImportFromStdin runs the README's Docker command line
// for a catalog on the host, `orderbot catalog import - < catalog.csv`
// (what `docker compose exec -T orderbot` passes on), with a real shell
// and the built binary; then the mounted-folder form with a path. A bad
// file is refused line by line and changes nothing.
func TestBinary_CatalogImportFromStdin(t *testing.T) {
	_, url := pgtest.NewWithURL(t)
	bin := buildBinary(t)
	host := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(host, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("catalog.csv", "sku,name,price,stock,unit\nA-1,Apple juice,2.50,10,btl\nB-2,Сыр,3.20,4,kg\n")
	write("bad.csv", "sku,name,price,stock\nA-1,Apple juice,2.60,10\nC-3,,1.00,1\n")
	write("more.csv", "sku,name,price,stock\nD-4,Dates,5.00,7\n")
	sh := func(line string) (string, string, int) {
		t.Helper()
		cmd := exec.Command("sh", "-c", line)
		cmd.Dir = host
		cmd.Env = []string{"PATH=" + bin + ":/usr/bin:/bin", "DATABASE_URL=" + url, "HOME=" + host}
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return out.String(), errOut.String(), code
	}
	if out, errOut, code := sh("orderbot catalog import - < catalog.csv"); code != 0 || !strings.Contains(out, "imported 2 product(s): 2 new") {
		t.Fatalf("import from stdin: %d %q %q", code, out, errOut)
	}
	out, errOut, code := sh("orderbot catalog import - < bad.csv")
	if code != 1 || !strings.Contains(errOut, "stdin:3: name is empty") || !strings.Contains(errOut, "nothing was changed") {
		t.Fatalf("bad file from stdin: %d %q %q", code, out, errOut)
	}
	if out, errOut, code := sh("orderbot catalog import " + filepath.Join(host, "more.csv")); code != 0 || !strings.Contains(out, "1 new") {
		t.Fatalf("import from a mounted folder: %d %q %q", code, out, errOut)
	}
	out, _, _ = sh("orderbot stock --json")
	var rows []stockJSON
	if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) != 3 || rows[0].Price != "2.50" {
		t.Fatalf("stock after the imports: %v %q", err, out)
	}
}
