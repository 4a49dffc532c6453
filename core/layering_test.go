package core

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLayering keeps the imports pointing inward (DESIGN.md, "Shape"): core
// imports only the standard library; storage packages, bot and jobs import
// core but not each other; only cmd wires concrete pieces together.
func TestLayering(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}} {{.Standard}}", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		path, std, _ := strings.Cut(line, " ")
		if std != "true" && path != module+"/core" {
			t.Errorf("core depends on %s; it may import only the standard library", path)
		}
	}
	out, err = exec.Command("go", "list", "-f", "{{.ImportPath}}:{{join .Imports \" \"}}", module+"/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, ":")
		for _, imp := range strings.Fields(imports) {
			if forbidden(pkg, imp) {
				t.Errorf("%s imports %s: only cmd may wire storage, bot and jobs together", pkg, imp)
			}
		}
	}
}

const module = "github.com/orderbot/orderbot"

// layer names the top-level part of the module a package belongs to.
func layer(pkg string) string {
	rest := strings.TrimPrefix(pkg, module+"/")
	if rest == pkg {
		return ""
	}
	parts := strings.Split(rest, "/")
	if parts[0] == "storage" && len(parts) > 1 {
		return "storage/" + parts[1]
	}
	return parts[0]
}

func forbidden(pkg, imp string) bool {
	from, to := layer(pkg), layer(imp)
	if to == "" || from == to || to == "core" || from == "cmd" {
		return false
	}
	// storage/postgres/pgtest is a test helper of the postgres store; tests of
	// other layers may use it only through _test files, which go list -f
	// .Imports does not show.
	return true
}
