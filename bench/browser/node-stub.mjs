// Stands in for the Node built-ins (fs, path, os, ...) that TF.js's wasm backend imports for its
// Node branch, which never runs in a browser.
export default {};
