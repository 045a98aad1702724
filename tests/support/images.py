"""What the images tests send and get back: a small PNG and a full ImagesResponse (usage included)."""

from __future__ import annotations

from typing import Any

__all__ = ["IMAGES_RESPONSE", "PNG"]

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
IMAGES_RESPONSE: dict[str, Any] = {
    "created": 1713833628,
    "data": [{"url": "https://example.com/a.png", "revised_prompt": "an otter"}, {"b64_json": "aGVsbG8="}],
    "background": "opaque",
    "output_format": "png",
    "quality": "high",
    "size": "1024x1024",
    "usage": {
        "input_tokens": 50,
        "input_tokens_details": {"image_tokens": 40, "text_tokens": 10},
        "output_tokens": 50,
        "total_tokens": 100,
        "output_tokens_details": {"image_tokens": 50, "text_tokens": 0},
    },
}
