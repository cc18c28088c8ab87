"""The mining stage, and below it the later ones. Takes: a repository's history and the trail the
hooks captured. Gives: function-level rejected/chosen pairs, redacted, in the store."""
