"""Audio: the sound set, the cue-track renderer and the playback back-ends."""
