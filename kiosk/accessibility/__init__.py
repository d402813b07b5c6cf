"""Accessibility: modes, speech, contrast and size rules (seed S7). Qt-free where it can be."""
