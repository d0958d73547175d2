"""Webhook endpoints: /webhooks/<platform> (DESIGN §6). Each connector adds its own line."""

from django.urls import path

from vigie.connectors.facebook import webhooks
from vigie.connectors.linkedin import webhooks as linkedin_webhooks

urlpatterns = [
    path("facebook", webhooks.facebook, name="webhook-facebook"),
    path("linkedin", linkedin_webhooks.linkedin, name="webhook-linkedin"),
]
