"""The AI plane: model providers, the offline engine, souls, agents, memory and budgets."""
