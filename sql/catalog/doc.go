// Package catalog stores Aegis's schema — databases, schemas, tables,
// columns, primary keys and roles — as ordinary transactional KV data, so
// that DDL commits or rolls back with the transaction it runs in.
//
// Layout (all under the 'c' prefix, below table data):
//
//	c d <id uint32>                         descriptor (JSON)
//	c n <parentID> <schemaID> <name>        namespace entry -> id
//	c s                                     next descriptor ID
//	c r <name>                              role
//
// Descriptor IDs are never reused. Database IDs and schema IDs share the
// ID space with tables; the bootstrap creates database "postgres" and its
// "public" schema.
package catalog
