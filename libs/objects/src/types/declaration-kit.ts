/**
 * Everything a type's folder declares with, one level up from it (STYLE §2: relative imports go at
 * most one level up): column kinds, conditions, `defineObject`, hook and media types, row checks and
 * message helpers. It never re-exports the registry, so declarations do not import themselves.
 */
export * from '../row-problem';
export * from '../kinds/kind';
export * from '../kinds/text.kind';
export * from '../kinds/name-set.kind';
export * from '../kinds/enumeration.kind';
export * from '../kinds/boolean.kind';
export * from '../kinds/integer.kind';
export * from '../kinds/timezone.kind';
export * from '../kinds/numbers.kind';
export * from '../kinds/list.kind';
export * from '../kinds/reference.kind';
export * from '../kinds/call-distribution.kind';
export * from '../kinds/channel.kind';
export * from '../kinds/access.kind';
export * from '../condition';
export * from '../column';
export * from '../content-column';
export * from '../media-format';
export * from '../define-object';
export * from '../object-csv';
export * from '../object-hooks';
export * from '../header-check';
export * from '../row-check';
