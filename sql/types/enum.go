package types

import "sync"

// User-defined enum types (CREATE TYPE ... AS ENUM). Their values are
// label strings; they order by each label's sort position, which stays
// fixed when labels are added (ALTER TYPE ... ADD VALUE BEFORE picks a
// position between its neighbours), so stored keys keep their order.
//
// Enums live in the catalog; this registry gives the type system their
// names and labels by OID. Entries are registered when the catalog
// creates or reads a type, and a loader (set by the server) fetches the
// ones not seen yet in this process.

// EnumInfo describes an enum type.
type EnumInfo struct {
	Name   string    // the type's name (as format_type prints it)
	Schema string    // the schema it is in
	Labels []string  // in sort order
	Sort   []float64 // each label's sort position (pg_enum.enumsortorder)
}

var enums struct {
	sync.RWMutex
	byOid  map[Oid]EnumInfo
	absent map[Oid]bool // OIDs the loader found no enum for
	loader func(Oid) (EnumInfo, bool)
}

// RegisterEnum records (or replaces) the enum type oid.
func RegisterEnum(oid Oid, info EnumInfo) {
	enums.Lock()
	defer enums.Unlock()
	if enums.byOid == nil {
		enums.byOid = map[Oid]EnumInfo{}
	}
	enums.byOid[oid] = info
	delete(enums.absent, oid)
}

// SetEnumLoader sets the function that fetches an enum type not
// registered yet (from the catalog).
func SetEnumLoader(f func(Oid) (EnumInfo, bool)) {
	enums.Lock()
	enums.loader = f
	enums.Unlock()
}

// Enum returns the enum type oid, if it is one.
func Enum(oid Oid) (EnumInfo, bool) {
	if oid < 16384 || oid&enumArrayBit != 0 {
		return EnumInfo{}, false
	}
	enums.RLock()
	info, ok := enums.byOid[oid]
	loader, absent := enums.loader, enums.absent[oid]
	enums.RUnlock()
	if ok || loader == nil || absent {
		return info, ok
	}
	if info, ok = loader(oid); ok {
		RegisterEnum(oid, info)
	} else {
		enums.Lock()
		if enums.absent == nil || len(enums.absent) > 100000 {
			enums.absent = map[Oid]bool{}
		}
		enums.absent[oid] = true
		enums.Unlock()
	}
	return info, ok
}

// IsEnum reports whether t is a user-defined enum type.
func (t T) IsEnum() bool {
	_, ok := Enum(t.Oid)
	return ok
}

// EnumSortOrder returns the sort position of label in enum t.
func EnumSortOrder(t T, label string) (float64, bool) {
	info, ok := Enum(t.Oid)
	if !ok {
		return 0, false
	}
	for i, l := range info.Labels {
		if l == label {
			return info.Sort[i], true
		}
	}
	return 0, false
}

// ForgetEnums clears the registry (a restarted node in tests: enums are
// then loaded from the catalog again).
func ForgetEnums() {
	enums.Lock()
	enums.byOid, enums.absent = nil, nil
	enums.Unlock()
}

// enumArrayBit marks the OID of an array of an enum type: the enum's OID
// with the top bit set (user OIDs are far below it).
const enumArrayBit Oid = 1 << 31

// EnumArrayOid is the OID of the array type of enum oid.
func EnumArrayOid(oid Oid) Oid { return oid | enumArrayBit }
