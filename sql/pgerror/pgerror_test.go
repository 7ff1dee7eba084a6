package pgerror

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

type kvErr struct{}

func (kvErr) Error() string  { return "could not serialize access due to concurrent update" }
func (kvErr) PGCode() string { return "40001" }

func TestFlatten(t *testing.T) {
	cases := []struct {
		err  error
		want Code
	}{
		{New(UniqueViolation, "dup"), "23505"},
		{fmt.Errorf("wrapped: %w", New(UndefinedTable, "x")), "42P01"},
		{fmt.Errorf("kv: %w", kvErr{}), "40001"},
		{context.Canceled, "57014"},
		{errors.New("boom"), "XX000"},
	}
	for _, c := range cases {
		if got := CodeOf(c.err); got != c.want {
			t.Errorf("CodeOf(%v) = %s, want %s", c.err, got, c.want)
		}
	}
}

func TestGeneratedCodes(t *testing.T) {
	if UniqueViolation != "23505" || SerializationFailure != "40001" || SyntaxError != "42601" {
		t.Fatalf("generated codes wrong: %s %s %s", UniqueViolation, SerializationFailure, SyntaxError)
	}
	if ConditionName(UndefinedTable) != "undefined_table" {
		t.Fatalf("condition name: %q", ConditionName(UndefinedTable))
	}
}
