const names = new Map<string, string>();

/** The demo users' names (the studio server's list): presence and comments show people by name. */
export function knowPeople(people: { id: string; name: string }[]): void {
  for (const person of people) names.set(person.id, person.name);
}

/** A person's name, or the start of their id for someone the studio does not know. */
export const nameOf = (userId: string): string => names.get(userId) ?? userId.slice(0, 8);
