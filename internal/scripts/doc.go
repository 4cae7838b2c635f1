// Package scripts holds the tests of the repository's shell scripts (scripts/), run by make unit.
package scripts
