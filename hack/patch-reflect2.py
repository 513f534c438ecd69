#!/usr/bin/env python3
"""Adapts the vendored modern-go/reflect2 v1.0.1 to Go >= 1.18's reflect.mapiterinit.

Go 1.18 changed mapiterinit from returning an iterator to filling one the caller allocates
(the fix reflect2 v1.0.2 made). Unpatched, kube-apiserver 1.20 crashes on the first custom
resource. Idempotent: a patched tree is left as it is.
"""
import pathlib
import sys

root = pathlib.Path(sys.argv[1])
link = root / "unsafe_link.go"
umap = root / "unsafe_map.go"
link_src = link.read_text()
map_src = umap.read_text()

OLD_DECL = "func mapiterinit(rtype unsafe.Pointer, m unsafe.Pointer) *hiter"
NEW_DECL = "func mapiterinit(rtype unsafe.Pointer, m unsafe.Pointer, it *hiter)"
OLD_HITER = """type hiter struct {
	key   unsafe.Pointer // Must be in first position.  Write nil to indicate iteration end (see cmd/internal/gc/range.go).
	value unsafe.Pointer // Must be in second position (see cmd/internal/gc/range.go).
	// rest fields are ignored
}"""
NEW_HITER = """type hiter struct {
	key         unsafe.Pointer
	value       unsafe.Pointer
	t           unsafe.Pointer
	h           unsafe.Pointer
	buckets     unsafe.Pointer
	bptr        unsafe.Pointer
	overflow    unsafe.Pointer
	oldoverflow unsafe.Pointer
	startBucket uintptr
	offset      uint8
	wrapped     bool
	B           uint8
	i           uint8
	bucket      uintptr
	checkBucket uintptr
}"""
OLD_ITER = """	return &UnsafeMapIterator{
		hiter:      mapiterinit(type2.rtype, *(*unsafe.Pointer)(obj)),"""
NEW_ITER = """	it := new(hiter)
	mapiterinit(type2.rtype, *(*unsafe.Pointer)(obj), it)
	return &UnsafeMapIterator{
		hiter:      it,"""

if NEW_DECL in link_src and NEW_ITER in map_src:
    print("reflect2 already patched")
    sys.exit(0)
for old, src, name in ((OLD_DECL, link_src, link), (OLD_HITER, link_src, link), (OLD_ITER, map_src, umap)):
    if old not in src:
        sys.exit(f"unexpected content in {name}: cannot patch reflect2")
link.write_text(link_src.replace(OLD_DECL, NEW_DECL).replace(OLD_HITER, NEW_HITER))
umap.write_text(map_src.replace(OLD_ITER, NEW_ITER))
print("reflect2 patched")
