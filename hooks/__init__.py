"""The capture stage: everything that runs inside git. Takes: the commits agents make and what
the person does to them. Gives: the journal, pinned refs, task blobs and edit snapshots."""
