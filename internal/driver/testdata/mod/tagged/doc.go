// Package tagged has its hazard in a file built only with -tags special.
package tagged
