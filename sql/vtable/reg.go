package vtable

import (
	"sort"
	"strings"
	"sync"

	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/types"
)

// Relation is one relation as pg_class and regclass see it.
type Relation struct {
	OID       int64
	Name      string
	Schema    string
	SchemaOID int64
}

// virtualOIDBase numbers the virtual tables that are not PostgreSQL
// system catalogs (views such as pg_roles, information_schema), in
// sorted order; below FirstNormalObjectId like PostgreSQL's own.
const virtualOIDBase = 12000

var (
	virtualOIDsOnce sync.Once
	virtualOIDs     map[string]int64 // "schema.name" -> OID
)

// VirtualTableOID returns the OID of a virtual table: PostgreSQL's for
// its system catalogs (pg_class is 1259), a stable number otherwise.
func VirtualTableOID(schema, name string) int64 {
	virtualOIDsOnce.Do(func() {
		virtualOIDs = map[string]int64{}
		n := int64(0)
		for _, full := range Names() {
			sc, nm, _ := strings.Cut(full, ".")
			if o, ok := types.CatalogTableOid(nm); ok && sc == "pg_catalog" {
				virtualOIDs[full] = int64(o)
				continue
			}
			virtualOIDs[full] = virtualOIDBase + n
			n++
		}
	})
	return virtualOIDs[schema+"."+name]
}

// Relations lists every relation of the database: tables, views,
// sequences, indexes, and the virtual tables of pg_catalog and
// information_schema.
func Relations(c *Context) ([]Relation, error) {
	all, err := objects(c)
	if err != nil {
		return nil, err
	}
	var out []Relation
	for _, d := range all {
		sc := schemaOf(all, d.SchemaID)
		if sc == nil || d.Kind == catalog.KindSchema || d.Kind == catalog.KindDatabase || d.Kind == catalog.KindType {
			continue
		}
		out = append(out, Relation{OID: OID(d), Name: d.Name, Schema: sc.Name, SchemaOID: OID(sc)})
		if d.Table == nil {
			continue
		}
		if d.Table.PrimaryKeyName != "" {
			out = append(out, Relation{OID: indexOID(d, 1), Name: d.Table.PrimaryKeyName, Schema: sc.Name, SchemaOID: OID(sc)})
		}
		for _, ix := range d.Table.Indexes {
			out = append(out, Relation{OID: indexOID(d, ix.ID), Name: ix.Name, Schema: sc.Name, SchemaOID: OID(sc)})
		}
	}
	for _, full := range Names() {
		sc, nm, _ := strings.Cut(full, ".")
		so := int64(PgCatalogOID)
		if sc == "information_schema" {
			so = InformationSchemaOID
		}
		out = append(out, Relation{OID: VirtualTableOID(sc, nm), Name: nm, Schema: sc, SchemaOID: so})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].OID < out[j].OID })
	return out, nil
}

// SearchPath is the schemas unqualified names are looked up in, in
// order (PostgreSQL's implicit pg_catalog first, then public).
var SearchPath = []string{"pg_catalog", "public"}

// OnSearchPath reports whether schema is on the default search path.
func OnSearchPath(schema string) bool {
	for _, s := range SearchPath {
		if s == schema {
			return true
		}
	}
	return false
}

// Namespaces lists every schema: name and OID.
func Namespaces(c *Context) (map[string]int64, error) {
	all, err := objects(c)
	if err != nil {
		return nil, err
	}
	out := map[string]int64{"pg_catalog": PgCatalogOID, "information_schema": InformationSchemaOID}
	for _, d := range all {
		if d.Kind == catalog.KindSchema {
			out[d.Name] = OID(d)
		}
	}
	return out, nil
}

// Path returns the session's effective search path (pg_catalog first
// unless listed), or the default one.
func (c *Context) Path() []string {
	if c == nil || c.SearchPath == nil {
		return SearchPath
	}
	return c.SearchPath
}

// OnSearchPath reports whether schema is on the session's search path:
// names in it print unqualified.
func (c *Context) OnSearchPath(schema string) bool {
	for _, s := range c.Path() {
		if s == schema {
			return true
		}
	}
	return false
}

// ParseSearchPath turns a search_path setting into the effective path:
// its schema names in order ($user as user), with pg_catalog first
// unless it is listed.
func ParseSearchPath(setting, user string) []string {
	out := []string{}
	hasCatalog := false
	for _, item := range strings.Split(setting, ",") {
		item = strings.TrimSpace(item)
		if strings.HasPrefix(item, `"`) && strings.HasSuffix(item, `"`) && len(item) >= 2 {
			item = strings.ReplaceAll(item[1:len(item)-1], `""`, `"`)
		} else {
			item = strings.ToLower(item)
		}
		switch item {
		case "":
			continue
		case "$user":
			item = user
		case "pg_catalog":
			hasCatalog = true
		}
		out = append(out, item)
	}
	if !hasCatalog {
		out = append([]string{"pg_catalog"}, out...)
	}
	return out
}
