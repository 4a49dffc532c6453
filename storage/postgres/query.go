package postgres

import "strings"

// query builds a filtered SELECT from fixed SQL fragments; every value the
// caller gives goes in as a parameter, never into the text.
type query struct {
	where []string
	args  []any
}

// arg adds a parameter and returns its placeholder.
func (q *query) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + itoa(len(q.args))
}

// and adds a condition; fragments name their values with arg.
func (q *query) and(cond string) { q.where = append(q.where, cond) }

// sql assembles the statement: base, the conditions, order, then limit and
// offset when positive.
func (q *query) sql(base, order string, limit, offset int) string {
	s := base
	if len(q.where) > 0 {
		s += " WHERE " + strings.Join(q.where, " AND ")
	}
	s += " ORDER BY " + order
	if limit > 0 {
		s += " LIMIT " + q.arg(limit)
	}
	if offset > 0 {
		s += " OFFSET " + q.arg(offset)
	}
	return s
}
