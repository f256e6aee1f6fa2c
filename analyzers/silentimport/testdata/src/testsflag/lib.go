// Package testsflag has a load in a test file, reported only with
// -silentimport.tests.
package testsflag
