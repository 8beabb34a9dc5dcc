package bulletin

// Test helpers lent to the external test package (store_test.go).
var (
	AllFormats   = allFormats
	LevelDemands = levelDemands
	Mobile       = mobile
	OrgWord      = orgWord
	XlsxText     = xlsxText
	Num          = num
)
