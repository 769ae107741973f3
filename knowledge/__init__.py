"""Sunbae's knowledge layer: parsing, chunking, storing and answering from journals."""
