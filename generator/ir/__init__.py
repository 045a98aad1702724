"""The language-neutral intermediate representation and its builder."""

from .build import build
from .model import Api

__all__ = ["Api", "build"]
