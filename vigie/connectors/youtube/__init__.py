"""YouTube channel connector: comment polling within the daily quota, reply and moderation
(platform-apis.md §3). YouTube pushes nothing for comments: there is no webhook."""
