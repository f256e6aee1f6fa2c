package malformed

// A directive ends its line, so the expectations stand on the line above
// (analysistest's "want +1"). The plugin appends the category to the message.

func f() {
	// want +1 `^directive gives no reason: say why the finding is acceptable after the analyzer names \(ignore/malformed\)$`
	//resilvet:ignore ignore
	_ = 0

	//resilvet:ignore ignore/unused the reason
	_ = 1 // silent: well formed
}
