package parser

import "strings"

// nonUnreservedKeywords are PostgreSQL 15's keywords that are not
// UNRESERVED_KEYWORD (kwlist.h: reserved, type/function-name and
// column-name keywords): as identifiers they must be quoted.
var nonUnreservedKeywords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`all analyse analyze and any array as asc asymmetric both case cast check
		collate column constraint create current_catalog current_date current_role current_time
		current_timestamp current_user default deferrable desc distinct do else end except false fetch
		for foreign from grant group having in initially intersect into lateral leading limit localtime
		localtimestamp not null offset on only or order placing primary references returning select
		session_user some symmetric table then to trailing true union unique user using variadic when
		where window with
		authorization binary collation concurrently cross current_schema freeze full ilike inner is
		isnull join left like natural notnull outer overlaps right similar tablesample verbose
		between bigint bit boolean char character coalesce dec decimal exists extract float greatest
		grouping inout int integer interval least national nchar none normalize nullif numeric out
		overlay position precision real row setof smallint substring time timestamp treat trim values
		varchar xmlattributes xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi
		xmlroot xmlserialize xmltable`) {
		nonUnreservedKeywords[w] = true
	}
}

// QuoteIdent quotes an identifier the way PostgreSQL's quote_ident does:
// only when it is not a lower-case plain identifier or is a keyword that
// is not unreserved.
func QuoteIdent(s string) string {
	plain := s != "" && !nonUnreservedKeywords[s]
	for i := 0; i < len(s) && plain; i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c == '_':
		case (c >= '0' && c <= '9') || c == '$':
			plain = i > 0
		default:
			plain = false
		}
	}
	if plain {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// SplitQualifiedName splits a possibly qualified, possibly quoted name
// ("public.t", `"My Table"`, ` pg_catalog . pg_class `) into its parts as
// PostgreSQL's stringToQualifiedNameList does: unquoted parts are
// lower-cased, quoted ones kept ("" is a quote inside). ok is false on a
// syntax error.
func SplitQualifiedName(s string) (parts []string, ok bool) {
	i := 0
	skip := func() {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
			i++
		}
	}
	for {
		skip()
		if i >= len(s) {
			return nil, false
		}
		var b strings.Builder
		if s[i] == '"' {
			i++
			for {
				if i >= len(s) {
					return nil, false
				}
				if s[i] == '"' {
					if i+1 < len(s) && s[i+1] == '"' {
						b.WriteByte('"')
						i += 2
						continue
					}
					i++
					break
				}
				b.WriteByte(s[i])
				i++
			}
			if b.Len() == 0 {
				return nil, false
			}
		} else {
			start := i
			for i < len(s) && s[i] != '.' && s[i] != ' ' && s[i] != '\t' && s[i] != '"' {
				i++
			}
			if i == start {
				return nil, false
			}
			b.WriteString(strings.ToLower(s[start:i]))
		}
		parts = append(parts, b.String())
		skip()
		if i >= len(s) {
			return parts, true
		}
		if s[i] != '.' {
			return nil, false
		}
		i++
	}
}
