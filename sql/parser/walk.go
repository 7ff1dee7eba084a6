package parser

import (
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Walk calls fn for every message of a parse tree, parents before
// children; when fn returns false the message's children are skipped.
// It reaches every node kind pg_query produces, so rewrites of names in
// stored SQL (renames) need no per-node code.
func Walk(m proto.Message, fn func(proto.Message) bool) {
	if m == nil {
		return
	}
	walkMessage(m.ProtoReflect(), fn)
}

func walkMessage(m protoreflect.Message, fn func(proto.Message) bool) {
	if !m.IsValid() || !fn(m.Interface()) {
		return
	}
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsList() && fd.Message() != nil:
			l := v.List()
			for i := 0; i < l.Len(); i++ {
				walkMessage(l.Get(i).Message(), fn)
			}
		case fd.IsMap():
		case fd.Message() != nil:
			walkMessage(v.Message(), fn)
		}
		return true
	})
}
