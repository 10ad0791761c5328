// Tern Bank's customer app: React Router 7 history routes under the basename /app (as on
// GitHub Pages), deep links served by the server's fallback. Planted: "Open an account" is a
// <button> with no handler (dead), and /app/offers, a page since removed, falls through the
// catch-all route to the home page (a soft 404).
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider, Link, Outlet } from 'react-router';

function Layout() {
  return (
    <>
      <header className="top">
        <Link to="/" className="brand">Tern Bank</Link>
        <nav aria-label="Main">
          <Link to="/cards">Cards</Link>
          <Link to="/help">Help</Link>
          <Link to="/offers">Offers</Link>
        </nav>
      </header>
      <main><Outlet /></main>
      <footer><Link to="/help/contact">Contact us</Link></footer>
    </>
  );
}

function Home() {
  return (
    <section>
      <h1>Banking that keeps up with you</h1>
      <p>Manage cards, payments and savings in one place. Tern Bank has served coastal
        communities since 1921, and today its app handles everything from a lost card to a
        mortgage switch without a branch visit.</p>
      <button type="button" className="cta">Open an account</button>
    </section>
  );
}

function Cards() {
  return (
    <section>
      <h1>Cards</h1>
      <p>Debit and credit cards, limits and replacements.</p>
      <ul>
        <li><Link to="/cards/lost">Report a lost or stolen card</Link></li>
        <li><Link to="/cards/limits">Card limits</Link></li>
      </ul>
    </section>
  );
}

const page = (title, text) => () => (<section><h1>{title}</h1><p>{text}</p></section>);

const router = createBrowserRouter([
  {
    path: '/', element: <Layout />, children: [
      { index: true, element: <Home /> },
      { path: 'cards', element: <Cards /> },
      { path: 'cards/lost', Component: page('Report a lost or stolen card', 'Freeze your card now and order a new one.') },
      { path: 'cards/limits', Component: page('Card limits', 'Daily cash and spending limits.') },
      { path: 'help', Component: page('Help', 'Answers to common questions.') },
      { path: 'help/contact', Component: page('Contact us', 'Call us any time on 0800 000 000.') },
      { path: '*', element: <Home /> },
    ],
  },
], { basename: '/app' });

createRoot(document.getElementById('root')).render(<RouterProvider router={router} />);
