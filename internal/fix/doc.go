// Package fix holds what every analyzer's suggested fixes are built from,
// so that each is written once:
//
//   - AddImport: every new qualifier, reusing an existing import, avoiding
//     shadowing and adding the import only when needed;
//   - FreshName: every new local name;
//   - ZeroValue: the zero value of a type, written with the file's own
//     import names;
//   - Source: the text of the files, read once and checked against the
//     syntax, with the indentation and line ends of statements, by
//     physical position (//line directives do not move them);
//   - Dedup, Insert, Replace: edits.
package fix
