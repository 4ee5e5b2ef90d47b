"""Give the files back: stories, topics and outlets written in the seed format."""
