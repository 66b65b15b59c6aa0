import { cumulative, type Draw } from '../random/prng.js';

const FIRST = ['Anna', 'Lena', 'Sophie', 'Marie', 'Emma', 'Julia', 'Laura', 'Sara', 'Clara', 'Nina', 'Lea', 'Mia', 'Hannah', 'Chloe', 'Camille', 'Manon', 'Lucia', 'Elena', 'Giulia', 'Martina', 'Sofia', 'Eva', 'Isabel', 'Fleur', 'Sanne', 'Ingrid', 'Freja', 'Aoife', 'Siobhan', 'Olivia', 'Amelia', 'Zoe', 'Noor', 'Yasmin', 'Ines', 'Paula', 'Thomas', 'Lukas', 'Jonas', 'Max', 'Louis', 'Hugo', 'Marco', 'Luca', 'Pablo', 'Daan', 'Erik', 'Liam', 'Noah', 'David'];
const LAST = ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Martin', 'Bernard', 'Dubois', 'Moreau', 'Laurent', 'Rossi', 'Russo', 'Ferrari', 'Bianchi', 'García', 'Fernández', 'López', 'Martínez', 'de Jong', 'Jansen', 'de Vries', 'Bakker', 'Peeters', 'Janssens', 'Gruber', 'Huber', 'Murphy', 'Kelly', 'Andersson', 'Johansson', 'Nielsen', 'Hansen', 'Novak', 'Kowalski', 'Silva', 'Santos'];

// Where the shop's customers live: country code, share of customers, cities.
const PLACES: ReadonlyArray<{ country: string; weight: number; cities: readonly string[] }> = [
  { country: 'DE', weight: 30, cities: ['Berlin', 'Hamburg', 'Munich', 'Cologne', 'Frankfurt', 'Leipzig'] },
  { country: 'FR', weight: 18, cities: ['Paris', 'Lyon', 'Marseille', 'Toulouse', 'Bordeaux'] },
  { country: 'NL', weight: 12, cities: ['Amsterdam', 'Rotterdam', 'Utrecht', 'The Hague'] },
  { country: 'ES', weight: 9, cities: ['Madrid', 'Barcelona', 'Valencia', 'Seville'] },
  { country: 'IT', weight: 9, cities: ['Milan', 'Rome', 'Turin', 'Bologna'] },
  { country: 'AT', weight: 6, cities: ['Vienna', 'Graz', 'Salzburg'] },
  { country: 'BE', weight: 6, cities: ['Brussels', 'Antwerp', 'Ghent'] },
  { country: 'IE', weight: 4, cities: ['Dublin', 'Cork', 'Galway'] },
  { country: 'SE', weight: 3, cities: ['Stockholm', 'Gothenburg'] },
  { country: 'DK', weight: 3, cities: ['Copenhagen', 'Aarhus'] },
];
const PLACE_CUMULATIVE = cumulative(PLACES.map((p) => p.weight));

export interface Person {
  firstName: string;
  lastName: string;
  email: string;
  country: string;
  city: string;
}

/**
 * A made-up person. Emails use the reserved example.* domains (RFC 2606) so no real mailbox is ever
 * named, and carry the person's number so two people never share one.
 */
export function makePerson(d: Draw, index: number): Person {
  const firstName = d.pick(FIRST);
  const lastName = d.pick(LAST);
  const place = PLACES[d.weighted(PLACE_CUMULATIVE)]!;
  const local = `${ascii(firstName)}.${ascii(lastName)}${index}`;
  const domain = d.pick(['example.com', 'example.org', 'example.net']);
  return { firstName, lastName, email: `${local}@${domain}`, country: place.country, city: d.pick(place.cities) };
}

function ascii(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}
