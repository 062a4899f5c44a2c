// Operator tasks (vault:*): each file registers its tasks on import.
export {};
