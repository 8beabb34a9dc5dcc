package importer

import "strconv"

// count returns n with the English noun's form for n: "1 row", "0 rows",
// "3 rows" (one is the singular, other the plural, as the problems' English
// messages write them).
func count(n int, one, other string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + other
}

// pick returns one when n is 1, else other: the words that agree with a
// count ("is"/"are", "it"/"them").
func pick(n int, one, other string) string {
	if n == 1 {
		return one
	}
	return other
}
