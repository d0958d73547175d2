"""LinkedIn organisation page connector: comment polling, social action notifications (webhook),
reply and delete (platform-apis.md §2)."""
