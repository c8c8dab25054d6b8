"""Dashboard widgets: each shows data it is handed; none runs SQL of its own."""
