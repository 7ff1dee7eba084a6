package typio

import (
	"strconv"

	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/types"
)

// RegNames resolves the names of OID alias types (regclass, regtype,
// regproc, regprocedure, regnamespace, regrole) for their text input and
// output. The session implements it over the catalog of the current
// transaction; without one, values print and parse as bare OIDs.
type RegNames interface {
	// RegName returns the text of oid as a value of alias type t, and
	// false when no such object exists (PostgreSQL then prints the
	// number).
	RegName(t types.Oid, oid int64) (string, bool)
	// RegOid resolves a name (as the user wrote it, possibly qualified
	// and quoted) to the OID of an object of alias type t, failing with
	// PostgreSQL's error (42P01, 42704, 42883, ...) when there is none.
	RegOid(t types.Oid, name string) (int64, error)
}

// appendReg is the output function of an OID alias type.
func appendReg(buf []byte, t types.T, v int64, s *Settings) []byte {
	if v == 0 {
		return append(buf, '-')
	}
	if s != nil && s.Names != nil {
		if name, ok := s.Names.RegName(t.Oid, v); ok {
			return append(buf, name...)
		}
	}
	return strconv.AppendInt(buf, v, 10)
}

// parseReg is the input function of an OID alias type: a number is the
// OID itself, "-" is 0, anything else a name.
func parseReg(t types.T, in string, s *Settings) (types.Datum, error) {
	if in == "-" {
		return int64(0), nil
	}
	if in != "" && in[0] >= '0' && in[0] <= '9' {
		return parseOid(in)
	}
	if s == nil || s.Names == nil {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "cannot look up %s names here", t.TypName())
	}
	return s.Names.RegOid(t.Oid, in)
}
