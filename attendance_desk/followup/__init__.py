"""The absence follow-up engine: episodes, policy presets and today's actions."""
