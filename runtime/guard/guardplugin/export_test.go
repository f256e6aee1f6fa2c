package guardplugin

// Supported reports whether this test binary can load plugins.
const Supported = supported
