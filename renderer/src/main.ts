import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { createTransport } from './lib/bridge';
import { Session } from './lib/session.svelte';

const session = new Session(createTransport());
mount(App, { target: document.getElementById('app')!, props: { session } });
