"""Webhook endpoints: /webhooks/<platform> (DESIGN §6). Each connector adds its own line."""

urlpatterns = []
