"""Dashboard screens: main (clusters, members, corpus), reader, help, prompts."""
