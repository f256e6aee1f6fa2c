package blank

// Silent: test files are exempt.
import _ "image/gif"
