package tracing

import . "github.com/onsi/ginkgo/v2"

// tableRow is a row of one of the features' tables: its stable ID (ids.txt) and its sentence,
// the entry's name.
type tableRow interface{ key() (id, name string) }

// table is what DescribeTable takes for rows: the body, how a row is named (its sentence), and
// an entry per row, its ID the row's with suffix (a table run again another way, over h2c).
func table[R tableRow](rows []R, suffix string, body func(SpecContext, R)) []any {
	args := []any{body, func(r R) string { _, name := r.key(); return name }}
	for _, r := range rows {
		id, _ := r.key()
		args = append(args, Entry(nil, ID(id+suffix), r))
	}
	return args
}

// rowKeys are the rows' IDs, each with suffix, and their sentences, in the rows' order.
func rowKeys[R tableRow](rows []R, suffix string) (ids, names []string) {
	for _, r := range rows {
		id, name := r.key()
		ids, names = append(ids, id+suffix), append(names, name)
	}
	return ids, names
}

func (v contextVector) key() (string, string)  { return v.id, v.name }
func (r statusRow) key() (string, string)      { return r.id, r.name }
func (r semconvRow) key() (string, string)     { return r.id, r.name }
func (r passThroughRow) key() (string, string) { return r.id, r.name }
