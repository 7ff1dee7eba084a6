package deparse

import (
	"fmt"
	"strings"

	"github.com/aegisdb/aegis/sql/types"
)

// reservedWords are PostgreSQL 15's keywords that are not
// UNRESERVED_KEYWORD (SELECT word FROM pg_get_keywords() WHERE catcode <>
// 'U'): quote_identifier quotes them.
var reservedWords = func() map[string]bool {
	const list = `all analyse analyze and any array as asc asymmetric authorization between bigint binary bit boolean
both case cast char character check coalesce collate collation column concurrently constraint
create cross current_catalog current_date current_role current_schema current_time
current_timestamp current_user dec decimal default deferrable desc distinct do else end except
exists extract false fetch float for foreign freeze from full grant greatest group grouping having
ilike in initially inner inout int integer intersect interval into is isnull join lateral leading
least left like limit localtime localtimestamp national natural nchar none normalize not notnull
null nullif numeric offset on only or order out outer overlaps overlay placing position precision
primary real references returning right row select session_user setof similar smallint some
substring symmetric table tablesample then time timestamp to trailing treat trim true union unique
user using values varchar variadic verbose when where window with xmlattributes xmlconcat
xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable`
	m := map[string]bool{}
	for _, w := range strings.Fields(list) {
		m[w] = true
	}
	return m
}()

// quoteIdent is PostgreSQL's quote_identifier: the name as is when it is
// a lower-case identifier that is not a keyword (unreserved keywords
// excepted), else double-quoted with inner quotes doubled.
func quoteIdent(name string) string {
	safe := name != "" && (name[0] >= 'a' && name[0] <= 'z' || name[0] == '_')
	for i := 0; safe && i < len(name); i++ {
		ch := name[i]
		safe = ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' || ch == '_'
	}
	if safe && !reservedWords[name] {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// quoteLiteral is ruleutils' simple_quote_literal with
// standard_conforming_strings on: single quotes are doubled, backslashes
// are left alone, and no E” prefix is used.
func quoteLiteral(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// formatType is format_type_with_typemod: the SQL name of t with its
// modifier, as ruleutils prints it after "::".
func formatType(t types.T) string {
	if t.Oid == regclassOid {
		return "regclass"
	}
	if t.IsArray() {
		return formatType(t.Elem()) + "[]"
	}
	switch t.Oid {
	case types.OidBpchar:
		// format_type with an explicit typmod of -1 says bpchar: plain
		// "character" would mean character(1).
		if t.Typmod < 0 {
			return "bpchar"
		}
		return fmt.Sprintf("character(%d)", t.Typmod-4)
	case types.OidTimestamp, types.OidTimestampTZ, types.OidTime:
		if t.Typmod < 0 {
			break
		}
		zone := " without time zone"
		if t.Oid == types.OidTimestampTZ {
			zone = " with time zone"
		}
		name := "timestamp"
		if t.Oid == types.OidTime {
			name = "time"
		}
		return fmt.Sprintf("%s(%d)%s", name, t.Typmod, zone)
	case types.OidInterval:
		if t.Typmod >= 0 {
			return fmt.Sprintf("interval(%d)", t.Typmod)
		}
	}
	return t.String()
}

// regclassOid is the OID of regclass, the argument type of nextval and
// its siblings.
const regclassOid types.Oid = 2205

// regclassText renders a relation name, given as text the way a user
// writes it for a regclass ('public.t_id_seq', '"My Seq"'), as
// regclassout prints it: unquoted parts folded to lower case, the schema
// dropped when it is public or pg_catalog (both on the default
// search_path), each part quoted as an identifier.
func regclassText(name string) string {
	parts, ok := splitQualifiedName(name)
	if !ok {
		return name
	}
	if len(parts) == 3 {
		parts = parts[1:] // database.schema.relation
	}
	if len(parts) == 2 && (parts[0] == "public" || parts[0] == "pg_catalog") {
		parts = parts[1:]
	}
	for i, p := range parts {
		parts[i] = quoteIdent(p)
	}
	return strings.Join(parts, ".")
}

// splitQualifiedName is PostgreSQL's SplitIdentifierString for '.' as used
// by stringToQualifiedNameList: quoted parts keep their case (with ""
// standing for "), unquoted ones are folded to lower case.
func splitQualifiedName(s string) ([]string, bool) {
	var parts []string
	i := 0
	for {
		for i < len(s) && s[i] == ' ' {
			i++
		}
		var part strings.Builder
		if i < len(s) && s[i] == '"' {
			i++
			for {
				if i >= len(s) {
					return nil, false
				}
				if s[i] == '"' {
					if i+1 < len(s) && s[i+1] == '"' {
						part.WriteByte('"')
						i += 2
						continue
					}
					i++
					break
				}
				part.WriteByte(s[i])
				i++
			}
		} else {
			start := i
			for i < len(s) && s[i] != '.' && s[i] != ' ' {
				i++
			}
			if i == start {
				return nil, false
			}
			part.WriteString(asciiLower(s[start:i]))
		}
		parts = append(parts, part.String())
		for i < len(s) && s[i] == ' ' {
			i++
		}
		if i == len(s) {
			return parts, true
		}
		if s[i] != '.' {
			return nil, false
		}
		i++
	}
}

// asciiLower folds A-Z only, as PostgreSQL's downcase_identifier does
// for multibyte encodings.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
