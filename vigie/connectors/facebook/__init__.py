"""Facebook Page connector: feed and Messenger webhooks, Graph polling, moderation actions."""
