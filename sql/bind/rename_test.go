package bind

import "testing"

func TestRenameColumnInExpr(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"b > 0", "bb > 0"},
		{"t.b + b * 2", "t.bb + (bb * 2)"},
		{"other.b > 0", "other.b > 0"},        // another table's column is left alone
		{"b::text <> 'b'", "bb::text <> 'b'"}, // literals are not names
		{"length(c) < b", "length(c) < bb"},   // inside function calls
		{"CASE WHEN b IS NULL THEN 0 END", "CASE WHEN bb IS NULL THEN 0 END"},
		{"c = ANY (ARRAY[b, 1])", "c = ANY(ARRAY[bb, 1])"},
		{"x > 0", "x > 0"},
	} {
		got, err := RenameColumnInExpr(tc.in, "t", "b", "bb")
		if err != nil {
			t.Fatalf("%q: %v", tc.in, err)
		}
		if got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRenameRegclassInExpr(t *testing.T) {
	match := func(n string) bool { return n == "s1" || n == "public.s1" }
	for _, tc := range []struct{ in, want string }{
		{"nextval('s1')", "nextval('inv.s2')"},
		{"nextval('public.s1'::regclass)", "nextval('inv.s2'::regclass)"},
		{"nextval('s3')", "nextval('s3')"},
		{"'s1'::text", "'s1'::text"},
	} {
		got, err := RenameRegclassInExpr(tc.in, match, "inv.s2")
		if err != nil {
			t.Fatalf("%q: %v", tc.in, err)
		}
		if got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.in, got, tc.want)
		}
	}
}
