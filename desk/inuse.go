package desk

// CodeInUse: the data directory is in use by another program (another
// ReliefMesh app or a hub on the same directory: store.InUseError); Args
// "dir" is the data directory.
const CodeInUse = "in_use"
