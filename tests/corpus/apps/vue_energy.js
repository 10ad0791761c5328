// Wren Energy's account app: Vue 3 with Vue Router, built twice, in hash mode (#/account) and
// in history mode under the sub-path /vue/ (deep links served by the server's fallback).
import { createApp, h } from 'vue';
import { createRouter, createWebHashHistory, createWebHistory, RouterLink, RouterView } from 'vue-router';

const link = (to, text) => h(RouterLink, { to }, () => text);
const page = (title, ...body) => ({ render: () => h('section', [h('h1', title), ...body]) });

const Home = page('Energy for your home',
  h('p', 'Wren Energy supplies renewable electricity and gas to homes across the region. ' +
    'Read your meter, pay a bill or move home from your account, at any hour.'));
const Account = {
  render: () => h('section', [
    h('h1', 'Your account'),
    h('ul', [h('li', [link('/account/meter', 'Submit a meter reading')]),
             h('li', [link('/account/bills', 'View your bills')])]),
  ]),
};
const routes = [
  { path: '/', component: Home },
  { path: '/account', component: Account },
  { path: '/account/meter', component: page('Submit a meter reading', h('p', 'Enter your readings below.')) },
  { path: '/account/bills', component: page('Your bills', h('p', 'Bills for the last two years.')) },
  { path: '/moving', component: page('Moving home', h('p', 'Tell us your moving date.')) },
];
const history = ROUTER_MODE === 'hash' ? createWebHashHistory() : createWebHistory('/vue/');
const router = createRouter({ history, routes });

const App = {
  render: () => [
    h('header', { class: 'top' }, [
      h('strong', 'Wren Energy'),
      h('nav', { 'aria-label': 'Main' }, [link('/', 'Home'), link('/account', 'Your account'),
                                          link('/moving', 'Moving home')]),
    ]),
    h('main', [h(RouterView)]),
  ],
};
createApp(App).use(router).mount('#app');
