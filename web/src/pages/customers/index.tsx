import type { PageProps } from '../../app/pages';
import { CustomerPage } from './CustomerPage';
import { SearchPage } from './SearchPage';

/** #/customers (search and list) and #/customers/<any identifier> (the profile). */
export default function Customers({ route }: PageProps) {
  const id = route.parts[1];
  return id === undefined ? <SearchPage route={route} /> : <CustomerPage id={id} />;
}
